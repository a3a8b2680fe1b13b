// Must run before @apollo/gateway loads: the gateway sends anonymous telemetry unless this is set,
// and the hub makes no outbound calls (many municipal networks are closed).
process.env.APOLLO_TELEMETRY_DISABLED = '1';
export {};
