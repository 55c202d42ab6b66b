package io.weft.schemas.registry;

import org.apache.avro.Schema;

/**
 * One registered version of a subject.
 *
 * @param subject the subject, e.g. {@code weft.events-value}
 * @param id the schema's global id, the one written into the wire format
 * @param version the version within the subject, from 1
 * @param schema the parsed Avro schema
 */
public record SchemaMetadata(String subject, int id, int version, Schema schema) {}
