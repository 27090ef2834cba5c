"""Paper LICs: transcribed daily sheets and service schedules, checked like records."""
