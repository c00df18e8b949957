"""The Excel device ledger (设备台账): a template to fill, import into the YAML inventory,
export back. ``columns`` holds the mapping, ``cells`` reads what people type, ``reader`` and
``writer`` do the files."""
