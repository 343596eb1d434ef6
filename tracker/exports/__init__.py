"""Taking plans out: the official table as XLSX or CSV, and the open-data JSON."""
