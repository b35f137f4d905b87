"""The shared vocabularies, read once from the enums of proto/bth/common/v1/common.proto (their
only definition). Domain modules import these tuples, never protobuf: this module is the one
place that reads the generated descriptor. Strings, as the API and the events carry them."""

from bth.common.v1 import common_pb2


def _values(enum) -> tuple[str, ...]:
    return tuple(name for name, number in enum.items() if number != 0)   # 0 is *_UNSPECIFIED


REGIONS = _values(common_pb2.Region)                       # BEIJING, TIANJIN, HEBEI, OTHER
# The three regions of the platform (each with its own systems and partners); OTHER is a party
# from outside them, e.g. a contract's buyer elsewhere in China.
PLATFORM_REGIONS = tuple(r for r in REGIONS if r != "OTHER")
TRANSFER_MODES = _values(common_pb2.TransferMode)          # transfer, licence, equity, cooperation
WORK_QUEUES = _values(common_pb2.WorkQueue)                # REVIEW, ANNUAL_REPORTS, SCORING, ...
