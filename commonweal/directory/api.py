"""The Open Referral UK API (read-only, public), served under /api/oruk/ with its document at /api/docs."""

from ninja import NinjaAPI

api = NinjaAPI(title="Open Referral UK", urls_namespace="oruk", docs_url=None, openapi_url=None)


@api.get("/", url_name="api_details")
def api_details(request):  # placeholder until the ORUK endpoints land
    return {"version": "3.0", "profile": "https://openreferraluk.org/specifications/3.0", "openapi_url": "/api/docs"}
