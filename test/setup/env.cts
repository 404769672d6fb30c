// n8n-core writes <N8N_USER_FOLDER>/.n8n/config on first use: keep it in the scratch folder.
import { scratchDir } from './repo.cjs';

process.env.N8N_USER_FOLDER ??= scratchDir('n8n-user');
process.env.N8N_LOG_LEVEL ??= 'silent';
