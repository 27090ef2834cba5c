"""Documents other systems take from a control (GRECO's XML)."""
