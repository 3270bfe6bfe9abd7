"""Roster import and export: spreadsheets of an organisation's people (xlsx or CSV)."""
