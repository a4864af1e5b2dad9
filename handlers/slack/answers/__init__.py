"""Answer functions, one module each: ``answer(service, question) -> Reply`` calls its bot service
once and renders the result with ``blocks/``. ``dispatch.ROUTES`` names them: status (``status.py``,
through ``Paidup.status_desk``), overdue (``overdue.py``, ``Paidup.overdue_desk``), health
(``health.py``, ``Paidup.health_report``), report (``report.py``, ``Paidup.report_desk``: the card,
then the charts uploaded with files_upload_v2); invoice is not built yet."""
