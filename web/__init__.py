"""The controllers' web app: FastAPI + Jinja2 + htmx, thin over `control/`."""
