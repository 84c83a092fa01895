/**
 * Kubernetes protobuf request bodies (`application/vnd.kubernetes.protobuf`): decoding into the
 * JSON-equivalent object. See decode.ts; the field table is generated (schema-table.ts).
 * Imports only src-main/api/errors; knows nothing of HTTP beyond the media type name.
 */
export { decodeKubernetesProtobuf, isKubernetesProtobuf, PROTOBUF_MEDIA_TYPE, type DecodedProtobuf } from './decode';
