import { preload } from './preload';
import './styles.css';

// The first screen's requests go out now; the application's code (React, the views) loads meanwhile.
preload();
const root = document.getElementById('root');
if (root)
  import('./start')
    .then(({ start }) => start(root))
    .catch(() => {
      root.innerHTML = '<p class="status" role="alert">ダッシュボードを読み込めませんでした。ネットワークを確認して、ページを再読み込みしてください。</p>';
    });
