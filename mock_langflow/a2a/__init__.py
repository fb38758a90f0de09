"""1.13's A2A protocol beyond the routes: the JSON-RPC methods (rpc.py) and push notifications (push.py)."""
