// n8n-core writes <N8N_USER_FOLDER>/.n8n/config on first use: keep it inside the ignored .tmp folder.
import * as path from 'path';

process.env.N8N_USER_FOLDER ??= path.join(__dirname, '..', '..', '.tmp', 'n8n-user');
process.env.N8N_LOG_LEVEL ??= 'silent';
