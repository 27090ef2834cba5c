"""The forms' schemas live with the services (control/services/control_form.py): the page and
the API validate with the same one. Re-exported here for the routes."""

from control.services.control_form import (
    TEXT_MAX,
    ControlForm,
    FormError,
    french_errors,
    optional_siren,
    parse_control_form,
)

__all__ = [
    "TEXT_MAX",
    "ControlForm",
    "FormError",
    "french_errors",
    "optional_siren",
    "parse_control_form",
]
