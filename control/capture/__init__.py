"""From images to decoded QR codes (and, later, photos of paper pages)."""
