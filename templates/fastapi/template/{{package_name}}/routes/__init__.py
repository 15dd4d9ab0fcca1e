"""HTTP (and WebSocket) routes, one module per feature; `main.create_app` includes them."""
