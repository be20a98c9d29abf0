import type { ModelResource, ProgramModel } from "../program-model";

/**
 * What the program configured on each bucket (versioning, default encryption, public access block,
 * object ownership, bucket policy), read from the model by resource type, and S3's answers to the
 * Get* calls that read it back (S3 API reference: GetBucketVersioning, GetBucketEncryption,
 * GetPublicAccessBlock, GetBucketOwnershipControls, GetBucketPolicy).
 */

export interface BucketConfiguration {
  versioning?: { status: string; mfaDelete?: string };
  encryption?: { sseAlgorithm: string; kmsMasterKeyId?: string; bucketKeyEnabled?: boolean }[];
  publicAccessBlock?: { blockPublicAcls: boolean; ignorePublicAcls: boolean; blockPublicPolicy: boolean; restrictPublicBuckets: boolean };
  objectOwnership?: string;
  /** The policy document as JSON text, as GetBucketPolicy returns it. */
  policy?: string;
}

export const BUCKET_CONFIGURATION_TYPES = {
  versioning: ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"],
  encryption: [
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
  ],
  publicAccessBlock: ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"],
  ownership: ["aws:s3/bucketOwnershipControls:BucketOwnershipControls"],
  policy: ["aws:s3/bucketPolicy:BucketPolicy"],
};

function field(resource: ModelResource, key: string): unknown {
  const fromState = resource.state?.[key];
  return fromState !== undefined && fromState !== null ? fromState : resource.inputs?.[key];
}

function object(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function list(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.map(object) : value === undefined || value === null ? [] : [object(value)];
}

/** Bucket name -> what the program configured on it. */
export function bucketConfigurations(model: ProgramModel): Map<string, BucketConfiguration> {
  const byBucket = new Map<string, BucketConfiguration>();
  const of = (r: ModelResource): BucketConfiguration | undefined => {
    const bucket = field(r, "bucket");
    if (typeof bucket !== "string") return undefined;
    let config = byBucket.get(bucket);
    if (!config) byBucket.set(bucket, (config = {}));
    return config;
  };
  for (const r of model.resources) {
    const config = BUCKET_CONFIGURATION_TYPES.versioning.includes(r.type) || BUCKET_CONFIGURATION_TYPES.encryption.includes(r.type) || BUCKET_CONFIGURATION_TYPES.publicAccessBlock.includes(r.type) || BUCKET_CONFIGURATION_TYPES.ownership.includes(r.type) || BUCKET_CONFIGURATION_TYPES.policy.includes(r.type) ? of(r) : undefined;
    if (!config) continue;
    if (BUCKET_CONFIGURATION_TYPES.versioning.includes(r.type)) {
      const v = object(field(r, "versioningConfiguration"));
      if (typeof v.status === "string") config.versioning = { status: v.status, ...(typeof v.mfaDelete === "string" ? { mfaDelete: v.mfaDelete } : {}) };
    } else if (BUCKET_CONFIGURATION_TYPES.encryption.includes(r.type)) {
      config.encryption = list(field(r, "rules")).map((rule) => {
        const byDefault = object(list(rule.applyServerSideEncryptionByDefault)[0]);
        return {
          sseAlgorithm: typeof byDefault.sseAlgorithm === "string" ? byDefault.sseAlgorithm : "AES256",
          ...(typeof byDefault.kmsMasterKeyId === "string" ? { kmsMasterKeyId: byDefault.kmsMasterKeyId } : {}),
          ...(typeof rule.bucketKeyEnabled === "boolean" ? { bucketKeyEnabled: rule.bucketKeyEnabled } : {}),
        };
      });
    } else if (BUCKET_CONFIGURATION_TYPES.publicAccessBlock.includes(r.type)) {
      config.publicAccessBlock = {
        blockPublicAcls: field(r, "blockPublicAcls") === true,
        ignorePublicAcls: field(r, "ignorePublicAcls") === true,
        blockPublicPolicy: field(r, "blockPublicPolicy") === true,
        restrictPublicBuckets: field(r, "restrictPublicBuckets") === true,
      };
    } else if (BUCKET_CONFIGURATION_TYPES.ownership.includes(r.type)) {
      const rule = object(list(field(r, "rule"))[0]);
      if (typeof rule.objectOwnership === "string") config.objectOwnership = rule.objectOwnership;
    } else if (BUCKET_CONFIGURATION_TYPES.policy.includes(r.type)) {
      const policy = field(r, "policy");
      config.policy = typeof policy === "string" ? policy : JSON.stringify(policy);
    }
  }
  return byBucket;
}

const XMLNS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;" })[c] ?? c);
}

/** S3's answer to reading a bucket configuration: a body, or the error S3 gives when there is none. */
export type ConfigurationAnswer =
  | { readonly status: 200; readonly contentType: string; readonly body: string }
  | { readonly status: 404; readonly code: string; readonly message: string };

/** The bucket sub-resources answered from the program's configuration. */
export const CONFIGURATION_SUBRESOURCES = ["versioning", "encryption", "publicAccessBlock", "ownershipControls", "policy"] as const;
export type ConfigurationSubresource = (typeof CONFIGURATION_SUBRESOURCES)[number];

export function configurationAnswer(config: BucketConfiguration, subresource: ConfigurationSubresource): ConfigurationAnswer {
  const xml = (body: string) => ({ status: 200 as const, contentType: "application/xml", body: `<?xml version="1.0" encoding="UTF-8"?>\n${body}` });
  switch (subresource) {
    case "versioning": {
      // Never configured: an empty VersioningConfiguration (GetBucketVersioning).
      const v = config.versioning;
      if (!v) return xml(`<VersioningConfiguration ${XMLNS}/>`);
      return xml(`<VersioningConfiguration ${XMLNS}><Status>${escapeXml(v.status)}</Status>${v.mfaDelete ? `<MfaDelete>${escapeXml(v.mfaDelete)}</MfaDelete>` : ""}</VersioningConfiguration>`);
    }
    case "encryption": {
      // Every bucket has at least SSE-S3 (AES256) since January 2023 (S3 user guide, "Default encryption").
      const rules = config.encryption && config.encryption.length > 0 ? config.encryption : [{ sseAlgorithm: "AES256", bucketKeyEnabled: false }];
      const body = rules
        .map(
          (r) =>
            `<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>${escapeXml(r.sseAlgorithm)}</SSEAlgorithm>` +
            (r.kmsMasterKeyId ? `<KMSMasterKeyID>${escapeXml(r.kmsMasterKeyId)}</KMSMasterKeyID>` : "") +
            `</ApplyServerSideEncryptionByDefault><BucketKeyEnabled>${r.bucketKeyEnabled === true}</BucketKeyEnabled></Rule>`,
        )
        .join("");
      return xml(`<ServerSideEncryptionConfiguration ${XMLNS}>${body}</ServerSideEncryptionConfiguration>`);
    }
    case "publicAccessBlock": {
      const p = config.publicAccessBlock;
      if (!p) return { status: 404, code: "NoSuchPublicAccessBlockConfiguration", message: "The public access block configuration was not found" };
      return xml(
        `<PublicAccessBlockConfiguration ${XMLNS}><BlockPublicAcls>${p.blockPublicAcls}</BlockPublicAcls><IgnorePublicAcls>${p.ignorePublicAcls}</IgnorePublicAcls>` +
          `<BlockPublicPolicy>${p.blockPublicPolicy}</BlockPublicPolicy><RestrictPublicBuckets>${p.restrictPublicBuckets}</RestrictPublicBuckets></PublicAccessBlockConfiguration>`,
      );
    }
    case "ownershipControls": {
      if (!config.objectOwnership) return { status: 404, code: "OwnershipControlsNotFoundError", message: "The bucket ownership controls were not found" };
      return xml(`<OwnershipControls ${XMLNS}><Rule><ObjectOwnership>${escapeXml(config.objectOwnership)}</ObjectOwnership></Rule></OwnershipControls>`);
    }
    case "policy":
      if (!config.policy) return { status: 404, code: "NoSuchBucketPolicy", message: "The bucket policy does not exist" };
      return { status: 200, contentType: "application/json", body: config.policy };
  }
}
