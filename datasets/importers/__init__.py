"""File formats: parse and validate, streaming, no ORM.

Each importer reads rows from a file, checks every rule, collects problems with
file row, column and reason, and hands accepted rows to the caller (a sink or a
list). They know nothing about the database: reference data comes in as plain
dicts, so the same code validates on the page, in the worker and in the
management command.
"""
