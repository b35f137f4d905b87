"""The shared vocabularies (proto/bth/common/v1 enums, read through services.common.vocab) as
request-body types, so OpenAPI lists their values and a wrong one is a 422 naming the field."""

from typing import Literal

from services.common.vocab import PLATFORM_REGIONS, REGIONS, TRANSFER_MODES

Region = Literal[REGIONS]                     # BEIJING | TIANJIN | HEBEI | OTHER
PlatformRegion = Literal[PLATFORM_REGIONS]    # the three regions: procurement's vendors and buyers
TransferMode = Literal[TRANSFER_MODES]        # transfer | licence | equity | cooperation
