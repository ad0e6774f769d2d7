"""The `batch_callback` family: asynchronous batch intake with signed callbacks.

See docs/protocols/batch-callback.md.
"""
