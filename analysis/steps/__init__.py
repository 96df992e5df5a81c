"""Build steps. Each module has the same shape: ``inputs()``, ``outputs()`` and ``run()``
(load the inputs, call pure functions, save the outputs atomically)."""
