"""Client surveys 2018/2019: indicators, travel distance and meeting form, tables, figures (and the Kolada comparison)."""
