"""Entry point for gunicorn (``gunicorn wsgi:app``) and for ``flask`` run from the repository root."""

from tracker import create_app

app = create_app()
