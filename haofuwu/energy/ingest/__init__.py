"""The one ingestion pipeline behind the three doors (HTTP batches, spreadsheet files, MQTT).

``payloads`` is pure: it turns what a device sent into ``(meter_id, ts, value)`` rows or a reason per rejected
reading, and computes the consumption a reading adds (counter resets and rollovers included). ``writer`` stores
a batch and keeps the hourly, daily and monthly rollups in the same transaction. ``service`` joins the two for a
project; ``files`` and ``mqtt`` are the file and MQTT doors.
"""
