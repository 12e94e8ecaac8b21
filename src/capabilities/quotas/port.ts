// The Service Quotas port: read a quota, see open requests, ask for more.
export interface QuotaInfo {
  serviceCode: string;
  quotaCode: string;
  name?: string;
  value?: number;
  unit?: string;
  /** False: Service Quotas will not take a request; only a support case can. */
  adjustable?: boolean;
}

export interface QuotaRequest {
  id: string;
  /** PENDING, CASE_OPENED, APPROVED, DENIED, NOT_APPROVED, CASE_CLOSED, INVALID_REQUEST. */
  status: string;
  desiredValue?: number;
  caseId?: string;
  created?: string;
}

export interface QuotasPort {
  getQuota(serviceCode: string, quotaCode: string): Promise<QuotaInfo | undefined>;
  /** Requests still waiting (PENDING, CASE_OPENED): AWS refuses a second one while they are. */
  listOpenRequests(serviceCode: string, quotaCode: string): Promise<QuotaRequest[]>;
  requestIncrease(serviceCode: string, quotaCode: string, desiredValue: number): Promise<QuotaRequest>;
  getRequest(id: string): Promise<QuotaRequest | undefined>;
}
