from oauth2_provider.oauth2_validators import OAuth2Validator


class ClaimsValidator(OAuth2Validator):
    """Asserts the person's e-mail address and employee number (kept in last_name here)."""

    oidc_claim_scope = None  # every claim, whatever the scope

    def get_additional_claims(self, request):
        user = request.user
        return {
            "email": user.email,
            "email_verified": True,
            "name": user.first_name,
            "employee_number": user.last_name,
        }
