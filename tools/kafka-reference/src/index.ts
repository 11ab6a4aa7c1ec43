export { startKafkaCluster, DEFAULT_USERS, KafkaStartError, type KafkaCluster, type KafkaClusterOptions, type KafkaNode } from './cluster';
export { renderServerProperties, scramFormatArgs, SASL_MECHANISMS, LISTENER_NAMES, type ClientListener, type HostPort, type SaslUser } from './config';
export { fetchKafkaServer, defaultCacheRoot, DEFAULT_KAFKA_VERSION } from './distribution';
export { fetchMavenClasspath, renderFetchPom, MavenFetchError, type MavenClasspath, type MavenCoordinate } from './maven';
export { probeBroker } from './probe';
export { pythonVenv, PYTHON_CLIENT_PACKAGES } from './python';
