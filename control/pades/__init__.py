"""PAdES signatures of the PDFs the service issues: its certificate, signing, validation."""
