# Installed into .venv/etc/ipython/ by `make venv`: configuration for the project's Jupyter kernels.
# ipykernel >= 7 logs a warning at every start of a kernel that talks over TCP ("Kernel is running over
# TCP without encryption"), which Quarto's Jupyter engine does; the kernels run on this machine only.
# Kernel log messages below ERROR are infrastructure chatter; warnings raised by analysis code still
# reach the notebooks' outputs (they go to the cell's stderr, not to the kernel log).
c = get_config()  # noqa: F821 (provided by IPython when it loads this file)
c.IPKernelApp.log_level = "ERROR"
