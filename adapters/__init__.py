"""Province adapters: one folder per protocol family, one config file per province."""
