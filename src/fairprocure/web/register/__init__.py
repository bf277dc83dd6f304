"""The risk register: screened lines of each office, their pages, filters, exports and risk decisions."""
