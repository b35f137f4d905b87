"""The vocabularies are proto's enums, used from there (no hand-written copy left in services/),
the gateway's request models show them, and the conversion to a message is strict."""

from pathlib import Path

import pytest
from google.protobuf.json_format import ParseError

from bth.common.v1 import common_pb2
from bth.registry.v1 import achievement_pb2, annual_report_pb2
from services.common import vocab
from services.common.contracts import to_message
from services.gateway import accounts
from services.gateway.routes import achievements, incubation_models, procurement_models, registry_reports
from services.incubation.domain import vocab as incubation_vocab
from services.procurement.domain import policy
from services.registry.domain import annual_report, taxonomy

SERVICES = Path(__file__).resolve().parents[2] / "services"


def test_the_vocabularies_are_the_proto_enums():
    assert vocab.REGIONS == ("BEIJING", "TIANJIN", "HEBEI", "OTHER") == tuple(common_pb2.Region.keys()[1:])
    assert vocab.TRANSFER_MODES == ("transfer", "licence", "equity", "cooperation")
    assert vocab.TRANSFER_MODES == tuple(common_pb2.TransferMode.keys()[1:])
    assert vocab.PLATFORM_REGIONS == ("BEIJING", "TIANJIN", "HEBEI")


def test_every_service_uses_the_one_vocabulary():
    assert taxonomy.REGIONS is incubation_vocab.REGIONS is accounts.REGIONS is vocab.REGIONS
    assert taxonomy.TRANSFER_MODES is incubation_vocab.TRANSFER_MODES is annual_report.MODES is vocab.TRANSFER_MODES
    assert policy.REGIONS is vocab.PLATFORM_REGIONS and policy.PUBLIC_REGIONS == list(vocab.PLATFORM_REGIONS)


@pytest.mark.parametrize("copy", ['"BEIJING", "TIANJIN", "HEBEI"', '"transfer", "licence", "equity"',
                                  '"licence", "equity", "cooperation"'])
def test_no_hand_written_copy_is_left(copy):
    assert [str(p.relative_to(SERVICES)) for p in SERVICES.rglob("*.py") if copy in p.read_text()] == []


def test_the_per_mode_figures_have_one_field_per_transfer_mode():
    assert [f.name for f in annual_report_pb2.DealsByMode.DESCRIPTOR.fields] == list(vocab.TRANSFER_MODES)
    assert list(registry_reports.DealsIn.model_fields) == list(vocab.TRANSFER_MODES)


def test_the_request_models_show_the_enums():
    region = incubation_models.StationIn.model_json_schema()["properties"]["region"]
    assert region["enum"] == list(vocab.REGIONS)
    assert procurement_models.DemandIn.model_json_schema()["properties"]["region"]["enum"] == list(
        vocab.PLATFORM_REGIONS)
    modes = achievements.AchievementIn.model_json_schema()["properties"]["transfer_modes"]["items"]
    assert modes["enum"] == list(vocab.TRANSFER_MODES)


def test_a_field_the_message_lacks_is_refused_not_dropped():
    with pytest.raises(ParseError, match="organization"):
        to_message({"achievement_id": "a-1", "organization": "org-1"}, achievement_pb2.Achievement)
    assert to_message({"achievement_id": "a-1", "organisation": "org-1"}, achievement_pb2.Achievement).organisation
