"""awsglue.utils as Glue's runtime provides it: getResolvedOptions reads job arguments from sys.argv.

Behaves like Glue's own: the run's identity arguments (--JOB_ID, --JOB_RUN_ID, --JOB_NAME, ...) are
always parsed and must not be requested; requested options are required; unknown ones are ignored.
"""

import argparse

RESERVED = ("JOB_ID", "JOB_RUN_ID", "SECURITY_CONFIGURATION", "job-bookmark-option", "continuation-option")
OPTIONAL = ("--JOB_NAME", "--JOB_ID", "--JOB_RUN_ID", "--SECURITY_CONFIGURATION", "--TempDir", "--RedshiftTempDir",
            "--job-bookmark-option", "--continuation-option", "--encryption-type")


class GlueArgumentError(Exception):
    pass


class GlueArgumentParser(argparse.ArgumentParser):
    def error(self, message):
        raise GlueArgumentError(message)


def getResolvedOptions(args, options):
    for option in options:
        if option in RESERVED:
            raise RuntimeError("Using reserved arguments --" + option)
    parser = GlueArgumentParser()
    for option in OPTIONAL:
        if option[2:] not in options:
            parser.add_argument(option, required=False)
    for option in options:
        parser.add_argument("--" + option, required=True)
    parsed, _extra = parser.parse_known_args(args[1:])
    return vars(parsed)
