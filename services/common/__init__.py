"""Building blocks shared by every service: settings, Mongo unit of work with a
transactional outbox, the CloudEvents envelope, Kafka consumers with idempotency and a
dead-letter topic, gRPC bootstrap, logging, metrics and the process runtime."""
