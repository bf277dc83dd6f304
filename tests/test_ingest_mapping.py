import pytest

from fairprocure.ingest import load_mapping, read_sources
from fairprocure.ingest.model import IngestError


def test_mapping_columns_constants_and_decimal(tmp_path):
    (tmp_path / "m.toml").write_text(
        'decimal = ","\n[columns]\nvalue = "Netto"\ndescription = ["Art", "Text"]\n'
        '[constants]\noffice = "Vienna"\ncurrency = "EUR"\ndelivery_country = "AUT"\n'
    )
    (tmp_path / "l.csv").write_text('Art;Text;Netto\nGloves;cotton;"1.234,5"\n')
    line = read_sources([tmp_path / "l.csv"], load_mapping(tmp_path / "m.toml")).lines.to_pylist()[0]
    assert (line["value"], line["office"], line["delivery_country"]) == (1234.5, "Vienna", "AUT")
    assert line["description"] == "Gloves — cotton"


def test_unknown_keys_rejected(tmp_path):
    (tmp_path / "m.toml").write_text('decimals = ","\n')
    with pytest.raises(IngestError, match="decimals"):
        load_mapping(tmp_path / "m.toml")
