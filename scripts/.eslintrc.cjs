// Scripts are held to the same rules as tests, checked against their own tsconfig.
module.exports = {
  extends: '../test/.eslintrc.cjs',
  parserOptions: { project: './tsconfig.json', tsconfigRootDir: __dirname },
};
