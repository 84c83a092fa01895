/** Placeholder: the gnostic OpenAPI v2 protobuf encoding. */
export function encodeOpenAPIv2Protobuf(_doc: Record<string, unknown>): Buffer | undefined {
  return undefined;
}
