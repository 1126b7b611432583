"""The bundled local gateway: Envoy AI Gateway data-plane behaviour on a laptop."""
