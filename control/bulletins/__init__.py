"""Control bulletins: the model, its signed verification code, the PDF, and their checks."""
