"""Publishing linked data: a static site whose paths mirror the IRIs, and a server with content negotiation."""
