"""netplan's own store backends. Each is a plugin registered through the
``netplan_register_stores`` hook, exactly as a third party's would be."""
