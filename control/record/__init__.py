"""The 28-day LIC record: model, invariants, JSON form and compact QR form."""

from control.record.invariants import RecordError, check_record
from control.record.json_form import record_from_json, record_from_text, record_to_json
from control.record.model import (
    Activity,
    ActivityType,
    Author,
    Driver,
    DriverValidation,
    Employer,
    EmployerValidation,
    FullRecordRef,
    Observation,
    Place,
    Record,
    Sector,
    VehicleUse,
    WorkDay,
)

__all__ = [
    "Activity",
    "ActivityType",
    "Author",
    "Driver",
    "DriverValidation",
    "Employer",
    "EmployerValidation",
    "FullRecordRef",
    "Observation",
    "Place",
    "Record",
    "RecordError",
    "Sector",
    "VehicleUse",
    "WorkDay",
    "check_record",
    "record_from_json",
    "record_from_text",
    "record_to_json",
]
