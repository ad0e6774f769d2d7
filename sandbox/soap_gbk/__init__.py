"""The `soap_gbk` family: SOAP-style XML in GBK with a package header.

See docs/protocols/soap-gbk.md.
"""
