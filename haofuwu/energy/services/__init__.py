"""Write side of the energy app: meters, ingestion keys, anomalies, energy-saving measures, carbon estimates and
the raw-data retention sweep. Readings themselves are written by ``haofuwu.energy.ingest``."""

from haofuwu.energy.services.anomalies import anomaly_investigate, anomaly_resolve, anomaly_sweep
from haofuwu.energy.services.keys import ingest_key_authenticate, ingest_key_create, ingest_key_revoke
from haofuwu.energy.services.meters import meter_create, meter_update
from haofuwu.energy.services.retention import raw_retention_sweep
from haofuwu.energy.services.savings import carbon_estimate_create, saving_measure_create

__all__ = [
    "anomaly_investigate",
    "anomaly_resolve",
    "anomaly_sweep",
    "carbon_estimate_create",
    "ingest_key_authenticate",
    "ingest_key_create",
    "ingest_key_revoke",
    "meter_create",
    "meter_update",
    "raw_retention_sweep",
    "saving_measure_create",
]
