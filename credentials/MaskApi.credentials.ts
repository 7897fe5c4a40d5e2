import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

export class MaskApi implements ICredentialType {
	name = 'maskApi';

	displayName = 'MASK API';

	icon: Icon = { light: 'file:mask.svg', dark: 'file:mask.dark.svg' };

	documentationUrl = 'https://github.com/mask-pk/mask#credential';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'http://127.0.0.1:3000',
			placeholder: 'https://links.example.com',
			description: 'Where the MASK engine is served, without /api/v1',
			required: true,
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: 'mk_live_…',
			description: 'A MASK API key (mk_live_… or mk_test_…) with the scopes the workflow needs',
			required: true,
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
			},
		},
	};

	// Any valid key may call /me, whatever its scopes. Trailing slashes and a pasted "/api/v1" are tolerated.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.trim().replace(/\\/+$/, "").replace(/\\/api\\/v1$/, "")}}',
			url: '/api/v1/me',
			method: 'GET',
		},
	};
}
