"""Answer functions, one module each: ``answer(service, question) -> Reply`` calls its bot service
once and renders the result with ``blocks/``. ``dispatch.ROUTES`` names them; none is built yet."""
