"""Reports for organisers and funders: figures per event and programme, exports."""
