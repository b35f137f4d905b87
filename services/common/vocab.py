"""The shared vocabularies, read once from the enums of proto/bth/common/v1/common.proto (their
only definition). Domain modules import these tuples, never protobuf: this module is the one
place that reads the generated descriptor. Strings, as the API and the events carry them."""

from bth.common.v1 import common_pb2, options_pb2


def _values(enum) -> tuple[str, ...]:
    return tuple(name for name, number in enum.items() if number != 0)   # 0 is *_UNSPECIFIED


def _labelled(enum) -> dict[str, str]:
    """{wire string: label} of an enum whose values carry the `wire` and `label` options."""
    values = [v for v in enum.DESCRIPTOR.values if v.number != 0]
    return {v.GetOptions().Extensions[options_pb2.wire]: v.GetOptions().Extensions[options_pb2.label]
            for v in values}


REGIONS = _values(common_pb2.Region)                       # BEIJING, TIANJIN, HEBEI, OTHER
# The three regions of the platform (each with its own systems and partners); OTHER is a party
# from outside them, e.g. a contract's buyer elsewhere in China.
PLATFORM_REGIONS = tuple(r for r in REGIONS if r != "OTHER")
TRANSFER_MODES = _values(common_pb2.TransferMode)          # transfer, licence, equity, cooperation
KEY_FIELDS = _labelled(common_pb2.KeyField)                # {"5g": "5G / mobile communications", ...}
ACHIEVEMENT_TYPES = _values(common_pb2.AchievementType)   # patent, software, new_product, ...
WORK_QUEUES = _values(common_pb2.WorkQueue)                # REVIEW, ANNUAL_REPORTS, SCORING, ...
