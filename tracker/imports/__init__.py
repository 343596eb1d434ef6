"""Bringing plans in from the files agencies already have: Word, Excel, CSV and our open-data JSON."""
