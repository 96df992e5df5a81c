"""Public data in: snapshot catalog, mirror fetch, SCB PxWeb client, readers and schemas, demography, geography, regions, residences, region facts."""
