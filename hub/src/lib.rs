//! WebSocket hub (see the hub issue).
