"""Verification of signed LIC QR codes: envelope, COSE, trust list and verdicts."""

from control.verify.trustlist import TrustList, TrustListError
from control.verify.verdicts import Layer, Verdict, Verification, Warning
from control.verify.verifier import verify

__all__ = ["Layer", "TrustList", "TrustListError", "Verdict", "Verification", "Warning", "verify"]
