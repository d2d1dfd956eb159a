"""The `accord` command line: a thin layer over the Python API.

Each module here registers the commands of one stage of the data flow on the shared app.
"""
