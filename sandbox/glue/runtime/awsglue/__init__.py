"""Stand-in for the parts of Glue's Python shell runtime library (awsglue) that job scripts import.

The sandbox puts this folder on PYTHONPATH, as Glue provides awsglue to the scripts it runs.
"""
